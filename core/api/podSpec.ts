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
  /**
   * The whole template as written (images, env, everything), fingerprinted: a change anywhere in it is a
   * new revision, a rolling update. Not part of the pod-template-hash we name pods with.
   */
  revision?: string;
}
