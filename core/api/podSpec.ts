// A pod's network-relevant spec: what a bare Pod or any controller's template declares.
import type { Labels, Protocol } from './meta';

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
}

/** A pod template or a bare Pod's essentials. */
export interface PodSpecLite {
  labels: Labels;
  ports: ContainerPort[];
  nodeName?: string;
  nodeSelector?: Labels;
  tolerations: { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: string }[];
  hostNetwork: boolean;
}
