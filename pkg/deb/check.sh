#!/usr/bin/env bash
# Installs a newsdigest .deb on this machine (as root), checks what it installed, then removes and
# purges it: the binary runs, `man newsdigest-digest` renders, bash loads the completions, the
# newsdigest user and /var/lib/newsdigest exist, the packaged configuration passes `check` as
# that user, the systemd units pass `systemd-analyze verify` (skipped, saying so, where it is
# missing) and the timer is not enabled. Usage: pkg/deb/check.sh target/debian/newsdigest_*.deb
set -euo pipefail
deb=${1:?usage: pkg/deb/check.sh PACKAGE.deb}

if dpkg -s newsdigest >/dev/null 2>&1; then
  echo "deb check: newsdigest is already installed on this machine; not touching it" >&2
  exit 1
fi
purge() { dpkg --purge newsdigest >/dev/null 2>&1 || true; }
trap purge EXIT

dpkg -i "$deb" >/dev/null
test "$(command -v newsdigest)" = /usr/bin/newsdigest
newsdigest --version

page=$(mktemp)
MANWIDTH=80 man newsdigest-digest >"$page" 2>&1 || { cat "$page"; exit 1; }
sed -i 's/.\x08//g' "$page"   # overstruck bold and underline, where man keeps them
head -n 8 "$page"
for heading in SYNOPSIS OPTIONS "EXIT STATUS" FILES; do
  grep -q "^$heading" "$page" || { echo "deb check: man newsdigest-digest has no $heading" >&2; exit 1; }
done
rm -f "$page"

bash -c 'source /usr/share/bash-completion/completions/newsdigest && complete -p newsdigest' >/dev/null
test -s /usr/share/zsh/vendor-completions/_newsdigest
test -s /usr/share/fish/vendor_completions.d/newsdigest.fish

id newsdigest
test "$(stat -c %U:%a /var/lib/newsdigest)" = newsdigest:750
test "$(stat -c %U:%G:%a /etc/newsdigest/newsdigest.toml)" = root:newsdigest:640
runuser -u newsdigest -- newsdigest check --config /etc/newsdigest/newsdigest.toml

units=(/usr/lib/systemd/system/newsdigest.service /usr/lib/systemd/system/newsdigest.timer
       /usr/lib/systemd/system/newsdigest-serve.service)
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify "${units[@]}"
  echo "systemd-analyze verify: newsdigest.service, newsdigest.timer and newsdigest-serve.service accepted"
else
  echo "SKIPPED: systemd-analyze verify of the units (systemd-analyze is not installed here)"
fi
if [ -e /etc/systemd/system/timers.target.wants/newsdigest.timer ]; then
  echo "deb check: the timer was enabled on install; it must stay disabled until the admin enables it" >&2
  exit 1
fi

dpkg -r newsdigest >/dev/null
test ! -e /usr/bin/newsdigest
test -f /etc/newsdigest/newsdigest.toml   # a conffile stays until purge
dpkg --purge newsdigest >/dev/null
test ! -e /etc/newsdigest && test ! -e /var/lib/newsdigest
trap - EXIT
echo "deb check: $(basename "$deb") installed, checked, removed and purged"
