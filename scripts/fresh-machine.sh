#!/usr/bin/env bash
# A fresh machine, for real: a minimal Debian root (debootstrap --variant=minbase, so no browser,
# no libnss3, no fonts, no iproute2 or iptables) with only this machine's Node and npm copied in,
# a fresh clone of this repository's committed HEAD inside, and the README's commands run there
# in a chroot. Needs root, debootstrap (apt-get install -y debootstrap) and the network.
# Usage: bash scripts/fresh-machine.sh ROOT_DIR [COMMAND]   (default: npm install && npm test)
set -euo pipefail

root=${1:?usage: bash scripts/fresh-machine.sh ROOT_DIR [COMMAND]}
command_in_root=${2:-npm install && npm test}
repo=$(cd "$(dirname "$0")/.." && pwd)

[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (debootstrap, mount, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "fresh-machine: apt-get install -y debootstrap" >&2; exit 1; }
node_bin=$(command -v node) || { echo "fresh-machine: no node on this machine to copy in" >&2; exit 1; }
# npm is a folder of JavaScript (…/node_modules/npm) that the `npm` command links into.
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$npm_dir/bin/npm-cli.js" ] || { echo "fresh-machine: cannot find npm's folder (looked at $npm_dir)" >&2; exit 1; }

if [ ! -x "$root/bin/bash" ]; then
  echo "fresh-machine: debootstrap --variant=minbase bookworm $root"
  debootstrap --variant=minbase bookworm "$root" >"$root.debootstrap.log" 2>&1 \
    || { echo "fresh-machine: debootstrap failed, see $root.debootstrap.log" >&2; exit 1; }
fi

echo "fresh-machine: copying in node $("$node_bin" --version) and npm $(npm --version)"
install -m 755 "$node_bin" "$root/usr/local/bin/node"
rm -rf "$root/usr/local/lib/node_modules/npm"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" # so npm can reach its registry
# Behind a TLS-inspecting proxy Node trusts its CA through NODE_EXTRA_CA_CERTS: the chroot must too.
extra_ca=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  cp -L "$NODE_EXTRA_CA_CERTS" "$root/root/extra-ca.pem"
  extra_ca=(NODE_EXTRA_CA_CERTS=/root/extra-ca.pem)
fi

rm -rf "$root/root/k8snet"
git clone --quiet "$repo" "$root/root/k8snet"
echo "fresh-machine: cloned $(git -C "$root/root/k8snet" log -1 --format='%h %s' | cut -c1-80)"

# The chroot sees the kernel's /proc, /sys and /dev; rslave so unmounting never reaches the host's.
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -R "${mounted[$i]}" || umount -R -l "${mounted[$i]}"; done
}
trap cleanup EXIT
mount -t proc proc "$root/proc"
mounted+=("$root/proc")
for fs in sys dev; do
  mount --rbind "/$fs" "$root/$fs"
  mounted+=("$root/$fs")
  mount --make-rslave "$root/$fs"
done

echo "fresh-machine: chroot $root: $command_in_root"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 TERM=dumb "${extra_ca[@]}" \
  bash -c "cd /root/k8snet && $command_in_root"
