import { expect, test, type Page } from '@playwright/test';

const lesson = (page: Page) => page.getByRole('region', { name: 'Lesson' });

/** What a step's text must say, beside the checks every step gets. Keys end the "where" line. */
const FACTS: Record<string, RegExp[]> = {
  'Pods and Deployments · step 1 of 3': [/has the IP 10\.32\.\d+\.\d+/],
  'Pods and Deployments · step 2 of 3': [/asks for 4 replicas/],
  'Pods and Deployments · step 3 of 3': [/raised from 4 to 6, the Deployment starts 2 new pods/],
  'The PodCIDR · step 1 of 3': [/10\.32\.0\.0 to 10\.35\.255\.255, 262,144 of them/],
  'The PodCIDR · step 2 of 3': [/10\.4\.0\.0\/14: 10\.4\.0\.0 to 10\.7\.255\.255, again 262,144 addresses/],
  'The PodCIDR · step 3 of 3': [/1,024 of them, one per node\. node-a got 10\.32\.0\.0\/24: 256 addresses/],
  'The three rules · step 1 of 3': [/no step rewrites an address/],
  'The three rules · step 2 of 3': [/sends from 10\.10\.0\.1; the pod receives the packet from 10\.10\.0\.1/],
  'The three rules · step 3 of 3': [/eth0 holds 10\.32\./],
  'Services · step 1 of 3': [/the answer is 10\.\d+\.\d+\.\d+, the Service's ClusterIP/],
  'Services · step 2 of 3': [/10\.106\.175\.246:80 becomes 10\.32\.\d+\.\d+:8080 \(DNAT\)/],
  'Services · step 3 of 3': [/restores the Service address/],
  'DNS inside the cluster · step 1 of 3': [
    /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local · nameserver 10\.96\.0\.10 · options ndots:5/,
  ],
  'DNS inside the cluster · step 2 of 3': [/fewer than 5 dots/, /with a final dot costs 1/],
  'DNS inside the cluster · step 3 of 3': [/10\.96\.0\.10:53 becomes 10\.32\.0\.\d+:53 \(DNAT\)/],
  'CNI: what the plugin does · step 1 of 3': [/host-local IPAM hands out 10\.32\./],
  'CNI: what the plugin does · step 2 of 3': [/"10\.32\.1\.0\/24 via 10\.10\.1\.1 dev eth0"/],
  'CNI: what the plugin does · step 3 of 3': [
    /On node-b, the sender's node, the route to node-a's pods: with host-gw "10\.32\.0\.0\/24 via 10\.10\.0\.1 dev eth0"; with VXLAN "10\.32\.0\.0\/24 via 10\.32\.0\.0 dev flannel\.1 onlink"/,
    /wrapped in UDP 8472 \(VXLAN, VNI 1\) from 10\.10\.\d+\.\d+ to 10\.10\.\d+\.\d+/,
  ],
  'NetworkPolicy: deny, then allow · step 1 of 3': [/the trace is delivered/],
  'NetworkPolicy: deny, then allow · step 2 of 3': [
    /The trace is now dropped, on node-b: NetworkPolicy drops the packet/,
  ],
  'NetworkPolicy: deny, then allow · step 3 of 3': [
    /the trace is delivered, allowed on node-a: allowed by default\/allow-web ingress\[0\]/,
  ],
  'NodePort and external traffic · step 1 of 5': [
    /port 30080 is open on every node's own address: 172\.18\.0\.2:30080/,
  ],
  'NodePort and external traffic · step 2 of 5': [/172\.18\.0\.2:30080 becomes 10\.244\.\d+\.\d+:80/],
  'NodePort and external traffic · step 3 of 5': [/203\.0\.113\.10:40000 becomes 172\.18\.0\.2:\d+/],
  'NodePort and external traffic · step 4 of 5': [/from 203\.0\.113\.10, the client's own address/],
  'NodePort and external traffic · step 5 of 5': [/the trace is dropped/],
  'Egress to the internet · step 1 of 2': [/"default via 10\.10\.255\.254 dev eth0"/],
  'Egress to the internet · step 2 of 2': [/10\.32\.1\.2:40000 becomes 10\.10\.1\.1:\d+/, /MASQUERADE/],
  'kube-proxy modes: iptables and nftables · step 1 of 2': [/iptables mode/, /KUBE-SEP-\w+ .*DNAT --to-destination/],
  'kube-proxy modes: iptables and nftables · step 2 of 2': [/nftables mode/, /vmap @service-ips/],
};

test('every step of every lesson: the text, the current hop and the highlighted objects agree', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await page.getByLabel('Lessons').selectOption({ label: '1. Pods and Deployments' });
  await expect(lesson(page)).toContainText('Lesson 1 of 10: Pods and Deployments · step 1 of 3');
  // The menu shows the lesson that is open, not "Choose a lesson…".
  await expect(page.getByLabel('Lessons')).toHaveValue('pods');
  // Focus on the page body, not in a field: arrows walk the steps.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  const diagram = page.getByRole('region', { name: 'Cluster diagram' });
  const tracePanel = page.getByRole('region', { name: 'Trace' });
  const seen: string[] = [];
  for (let i = 0; i < Object.keys(FACTS).length; i++) {
    const where = (await lesson(page)
      .getByText(/^Lesson \d+ of 10:/)
      .textContent())!;
    const key = Object.keys(FACTS).find((k) => where.endsWith(k))!;
    expect(key, where).toBeTruthy();
    for (const re of FACTS[key]!) await expect(lesson(page)).toContainText(re);
    const text = (await lesson(page).getByRole('paragraph').allTextContents()).join(' ');
    // The current hop: what the text says happens is what the card and the stepper show.
    if (await tracePanel.isVisible()) {
      const hop = tracePanel.getByRole('article', { name: 'Current hop' });
      const title = (await hop.getByRole('heading').textContent())!;
      const [action, node] = title.split(' · ');
      const total = Number(
        /Step \d+ of (\d+)/.exec((await tracePanel.getByText(/^Step \d+ of \d+/).textContent())!)![1],
      );
      for (const m of text.matchAll(/(\d+) steps/g)) expect(Number(m[1]), `${key}: ${m[0]}`).toBe(total);
      for (const m of text.matchAll(/(\d[\d.:]*\d) becomes (\d[\d.:]*\d)/g)) {
        await expect(hop, key).toContainText(m[1]!);
        await expect(hop, key).toContainText(m[2]!);
        expect(text, `${key}: the text names the hop's node`).toContain(node!);
      }
      if (/\bDNAT\b/.test(text) && / becomes /.test(text)) expect(action).toMatch(/DNAT|SNAT/);
      if (/trace is (now )?dropped/.test(text)) expect(action, key).toBe('DROP');
      // The packet is drawn where the hop is: on the pod, or on the node.
      const at = hop.getByRole('heading');
      await expect(at).toBeVisible();
    }
    // The highlighted objects: what is selected in the diagram is named in the text.
    const pressed = diagram.getByRole('button', { pressed: true });
    for (const name of await pressed.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) {
      const id = /^(?:pod|node) (\S+)/.exec(name)?.[1] ?? /^Service \S+\/(\S+)/.exec(name)?.[1];
      if (id) expect(text, `${key}: selected ${name}`).toContain(id);
    }
    // Marked (changed) pods: each one is listed in the text with its address, and the count agrees.
    const pods = diagram.getByRole('button', { name: /^pod / });
    const marked = (await pods.evaluateAll((els) =>
      els.filter((e) => e.classList.contains('changed')).map((e) => e.getAttribute('aria-label') ?? ''),
    )) as string[];
    for (const name of marked) {
      const [, pod, ip] = /^pod (\S+) (\S+)/.exec(name)!;
      expect(text, `${key}: marked ${name}`).toContain(`${pod} (${ip}`);
    }
    const started = /starts (\d+) new pods/.exec(text);
    expect(marked.length, key).toBe(started ? Number(started[1]) : 0);
    if (where.includes('step 1 of'))
      await page.screenshot({ path: `test-results/screens/lesson-${where.match(/Lesson (\d+)/)![1]}.png` });
    seen.push(key);
    await page.keyboard.press('ArrowRight');
  }
  expect(new Set(seen).size).toBe(Object.keys(FACTS).length);
  // The last step has no Next; ← goes back.
  await expect(lesson(page).getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.keyboard.press('ArrowLeft');
  await expect(lesson(page)).toContainText('kube-proxy modes: iptables and nftables · step 1 of 2');
});

test("a deep link opens a step; presenter mode; leaving restores the user's own scenario untouched", async ({
  page,
}) => {
  await page.goto('./');
  const whatIf = page.getByRole('region', { name: 'What if' });
  await whatIf.getByLabel('PodCIDR', { exact: true }).fill('10.4.0.0/14');
  await whatIf.getByLabel('PodCIDR', { exact: true }).press('Enter');
  await expect(page.getByLabel('Cluster ranges')).toContainText('10.4.0.0/14');
  await page.goto('./#lesson=services&step=2');
  await expect(lesson(page)).toContainText('Services · step 2 of 3');
  const hop = page.getByRole('region', { name: 'Trace' }).getByRole('article', { name: 'Current hop' });
  await expect(hop).toContainText('DNAT');
  await expect(page.getByRole('region', { name: 'What if' })).toHaveCount(0);
  await lesson(page).getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
  await page.screenshot({ path: 'test-results/screens/presenter.png' });
  await page.keyboard.press('Escape');
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'off');
  await lesson(page).getByRole('button', { name: 'Exit lesson' }).click();
  await expect(lesson(page)).toHaveCount(0);
  await expect(page.getByLabel('Cluster ranges')).toContainText('10.4.0.0/14');
});

test('predict the next hop: a click is a guess, judged with the reason', async ({ page }) => {
  await page.goto('./#lesson=rules&step=1');
  const panel = page.getByRole('region', { name: 'Trace' });
  await expect(panel.getByRole('status').first()).toContainText('DELIVERED');
  await panel.getByLabel('Predict the next hop').check();
  await panel.getByRole('button', { name: 'Step forward' }).click();
  await expect(panel.getByLabel('Prediction')).toContainText('Click the node or pod');
  // The packet leaves the pod into its node: guess the other node (wrong).
  const hop = await panel.getByRole('article', { name: 'Current hop' }).textContent();
  const here = /· (node-[ab]) ·/.exec(hop!)![1];
  const other = here === 'node-a' ? 'node-b' : 'node-a';
  await page
    .getByRole('region', { name: 'Cluster diagram' })
    .getByRole('button', { name: new RegExp(`^node ${other} `) })
    .click();
  await expect(panel.getByLabel('Prediction')).toContainText(`Not quite: the packet goes to node ${here}`);
  await expect(panel.getByText(/^Step 2 of/)).toBeVisible();
  await panel.getByRole('button', { name: 'Step forward' }).click();
  const next = await panel.getByRole('article', { name: 'Current hop' }).textContent();
  expect(next).toContain(here);
  await page
    .getByRole('region', { name: 'Cluster diagram' })
    .getByRole('button', { name: new RegExp(`^node ${here} `) })
    .click();
  await expect(panel.getByLabel('Prediction')).toContainText(`Right: the packet goes to node ${here}`);
});

test('a link to a lesson that does not exist says so and names the lessons there are', async ({ page }) => {
  await page.goto('./#lesson=nosuch');
  await expect(page.getByRole('alert').filter({ hasText: 'There is no lesson "nosuch"' })).toContainText(
    '(the lessons: pods,',
  );
});
