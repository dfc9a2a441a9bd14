// The Deployment most tests run: `web` (app=web), nginx by default, with no port, or listening on 8080 (named when
// asked).
export interface WebDeployment {
  /** The container port's name; absent: 8080 unnamed; false: no port at all. */
  port?: string | false;
  image?: string;
}

export const webDeployment = (replicas: number, o: WebDeployment = {}): string => {
  const port = o.port === false ? '' : `, ports: [{${o.port ? `name: ${o.port}, ` : ''}containerPort: 8080}]`;
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: ${o.image ?? 'nginx'}${port}}]}
`;
};
