// The lessons: the arc of an introductory talk on the Kubernetes network
// model, in our own words, one file per lesson. Each step names a scenario,
// what to select, what to trace and where to park; its text is a function of
// what core computed for that scenario, so every number comes from core.
import { podsLesson } from './pods';
import { podCidrLesson } from './podcidr';
import { rulesLesson } from './rules';
import { servicesLesson } from './services';
import { cniLesson } from './cni';
import { policyLesson } from './policy';
import { nodePortLesson } from './nodeport';
import { egressLesson } from './egress';
import { dnsLesson } from './dns';
import { kubeProxyModesLesson } from './kubeProxyModes';
import type { Lesson } from './types';

export type { Facts, Lesson, LessonStep } from './types';

export const LESSONS: Lesson[] = [
  podsLesson,
  podCidrLesson,
  rulesLesson,
  servicesLesson,
  dnsLesson,
  cniLesson,
  policyLesson,
  nodePortLesson,
  egressLesson,
  kubeProxyModesLesson,
];

export const lessonById = (id: string) => LESSONS.find((l) => l.id === id);
