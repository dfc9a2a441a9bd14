// The Deployment most tests run: `web` (app=web), nginx, listening on 8080 (named `http` when asked).
export const webDeployment = (replicas: number, portName?: string): string => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{${portName ? `name: ${portName}, ` : ''}containerPort: 8080}]}]}
`;
