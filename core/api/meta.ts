// Shapes shared by every API group, as apimachinery's meta/v1: protocols, labels and selectors.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type Labels = Record<string, string>;

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}
