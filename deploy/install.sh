#!/bin/bash
# Installs quietcheck on Raspberry Pi OS 13 / Debian 13 (trixie), or 12 (bookworm), arm64 or amd64:
#   apt packages, the system user quietcheck, /var/lib/quietcheck (0700), the app in /opt/quietcheck,
#   the systemd service, and Chromium full screen on the local display for the kiosk user.
#
#   sudo deploy/install.sh [--kiosk-user pi | --no-kiosk] [--interface wlan0]
#   deploy/install.sh --root /tmp/qc-root      # writes files under that folder only; prints the
#                                              # commands (apt-get, useradd, systemctl…) it would run
#
# Run it from a built checkout (npm ci && npm run build). Safe to run again: it keeps an existing
# /etc/default/quietcheck, data directory and admin password.
set -euo pipefail

ROOT=""
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KIOSK_USER="pi"
KIOSK=1
IFACE=""
APP=/opt/quietcheck
DATA=/var/lib/quietcheck
SVC_USER=quietcheck
# dnsmasq-base: the dnsmasq program without Debian's system-wide DNS service, which would take port 53
# from the hotspot's own dnsmasq.
PACKAGES=(tcpdump hostapd dnsmasq-base nftables iw libcap2-bin curl)
# The Node.js quietcheck needs (package.json "engines"); Debian 13 ships 20.19, Debian 12 only 18.
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT="${2:?--root needs a folder}"; shift 2 ;;
    --root=*) ROOT="${1#--root=}"; shift ;;
    --source) SOURCE="${2:?--source needs a folder}"; shift 2 ;;
    --kiosk-user) KIOSK_USER="${2:?--kiosk-user needs a user name}"; shift 2 ;;
    --no-kiosk) KIOSK=0; shift ;;
    --interface) IFACE="${2:?--interface needs a name}"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage 2 ;;
  esac
done

if [ -n "$ROOT" ]; then
  mkdir -p "$ROOT"
  ROOT="$(cd "$ROOT" && pwd)"
  DRY=1
else
  DRY=0
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run it as root (sudo), or with --root DIR to try it into a folder" >&2
    exit 1
  fi
fi

say() { printf 'quietcheck install: %s\n' "$*"; }
# Commands that change the system beyond writing files: printed under --root, run otherwise.
act() {
  if [ "$DRY" -eq 1 ]; then
    printf 'would run:'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# ---- Checks
if [ ! -f "$SOURCE/dist/src/cli/main.js" ] || [ ! -f "$SOURCE/package.json" ]; then
  echo "install.sh: $SOURCE is not a built quietcheck checkout (run: npm ci && npm run build)" >&2
  exit 1
fi
OS_VERSION=""
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  OS_VERSION="${VERSION_ID:-}"
  if [ "$OS_VERSION" != "13" ] && [ "$OS_VERSION" != "12" ]; then
    say "warning: made for Debian 13 or 12 / Raspberry Pi OS 13 or 12; this is ${PRETTY_NAME:-unknown}"
  fi
fi

# A Node.js at least NODE_MIN_MAJOR.NODE_MIN_MINOR: "true" or "false" for a version string like 20.19.2.
node_ok() {
  local major minor
  major="${1%%.*}"; minor="${1#*.}"; minor="${minor%%.*}"
  [ "$major" -gt "$NODE_MIN_MAJOR" ] 2>/dev/null || { [ "$major" -eq "$NODE_MIN_MAJOR" ] 2>/dev/null && [ "$minor" -ge "$NODE_MIN_MINOR" ] 2>/dev/null; }
}
# The version apt would install for a package ("" when there is none).
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '(none)' | sed 's/^[0-9]*://' || true; }

# Debian's own nodejs and npm when they are recent enough (Debian 13: 20.19) and the node on the PATH is
# missing or older: no third-party repository needed.
HAVE_NODE=""
if command -v node >/dev/null 2>&1; then HAVE_NODE="$(node -p 'process.versions.node')"; fi
if [ -z "$HAVE_NODE" ] || ! node_ok "$HAVE_NODE"; then
  NODE_CANDIDATE="$(candidate nodejs)"
  if [ -n "$NODE_CANDIDATE" ] && node_ok "$NODE_CANDIDATE"; then
    say "Node.js ${HAVE_NODE:-missing} here; installing Debian's nodejs $NODE_CANDIDATE"
    PACKAGES+=(nodejs npm)
  elif [ "$DRY" -eq 1 ]; then
    say "note: Node.js $NODE_MIN_MAJOR.$NODE_MIN_MINOR or later is needed at /usr/bin/node (found ${HAVE_NODE:-none}; apt offers ${NODE_CANDIDATE:-none})"
  else
    echo "install.sh: quietcheck needs Node.js $NODE_MIN_MAJOR.$NODE_MIN_MINOR or later at /usr/bin/node (found ${HAVE_NODE:-none}; this system's nodejs package is ${NODE_CANDIDATE:-missing}). Debian 13 / Raspberry Pi OS 13 ship it; on 12, install it from nodejs.org or NodeSource, then run this again" >&2
    exit 1
  fi
elif ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(npm)
fi

# ---- Packages
# Raspberry Pi OS names its browser chromium-browser until 2024, chromium after; Debian: chromium.
CHROMIUM_PKG=chromium
if [ "$DRY" -eq 0 ] && ! apt-cache show chromium >/dev/null 2>&1; then CHROMIUM_PKG=chromium-browser; fi
act apt-get update
act env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}" "$CHROMIUM_PKG"
# Debian ships hostapd's own service masked; quietcheck starts hostapd itself. Keep it that way.
act systemctl mask --now hostapd.service

if [ "$DRY" -eq 0 ] && { [ ! -x /usr/bin/node ] || ! node_ok "$(/usr/bin/node -p 'process.versions.node')"; }; then
  echo "install.sh: /usr/bin/node is missing or older than $NODE_MIN_MAJOR.$NODE_MIN_MINOR after installing packages; the service runs /usr/bin/node" >&2
  exit 1
fi

# ---- User and data directory
if [ "$DRY" -eq 1 ] || ! id -u "$SVC_USER" >/dev/null 2>&1; then
  act useradd --system --user-group --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin --comment "quietcheck service" "$SVC_USER"
fi
install -d -m 0700 "$ROOT$DATA"
act chown "$SVC_USER:$SVC_USER" "$DATA"
act chmod 0700 "$DATA"

# ---- The app
install -d -m 0755 "$ROOT$APP" "$ROOT$APP/deploy"
rm -rf "$ROOT$APP/dist"
cp -R "$SOURCE/dist" "$ROOT$APP/dist"
# Tests and benchmarks stay out of the installed app.
rm -rf "$ROOT$APP/dist/test" "$ROOT$APP/dist/bench"
find "$ROOT$APP/dist" -name '*.map' -delete
for f in package.json package-lock.json README.md LICENSE; do
  if [ -f "$SOURCE/$f" ]; then install -m 0644 "$SOURCE/$f" "$ROOT$APP/$f"; fi
done
install -m 0644 "$SOURCE/deploy/quietcheck.service" "$SOURCE/deploy/quietcheck-kiosk.desktop" "$ROOT$APP/deploy/"
install -m 0755 "$SOURCE/deploy/kiosk.sh" "$SOURCE/deploy/install.sh" "$ROOT$APP/deploy/"
chmod 0755 "$ROOT$APP/dist/src/cli/main.js"
# Native modules (better-sqlite3) must match this machine's processor: installed here, not copied.
act sh -c "cd $APP && npm ci --omit=dev --ignore-scripts=false --no-audit --no-fund"
install -d -m 0755 "$ROOT/usr/local/bin"
ln -sfn "$APP/dist/src/cli/main.js" "$ROOT/usr/local/bin/quietcheck"

# ---- Settings (kept when present)
install -d -m 0755 "$ROOT/etc/default"
if [ ! -f "$ROOT/etc/default/quietcheck" ]; then
  {
    echo "# quietcheck service settings (see: quietcheck serve --help)"
    echo "QUIETCHECK_HOST=127.0.0.1"
    echo "QUIETCHECK_PORT=8080"
    if [ -n "$IFACE" ]; then echo "QUIETCHECK_INTERFACE=$IFACE"; else echo "#QUIETCHECK_INTERFACE=wlan0"; fi
    if [ "$CHROMIUM_PKG" = chromium-browser ]; then echo "QUIETCHECK_CHROMIUM=/usr/bin/chromium-browser"; fi
    echo "# Extra arguments for quietcheck serve, e.g. --retention-days 14"
    echo "QUIETCHECK_SERVE_ARGS="
  } > "$ROOT/etc/default/quietcheck"
  chmod 0644 "$ROOT/etc/default/quietcheck"
fi

# ---- systemd
install -d -m 0755 "$ROOT/etc/systemd/system"
install -m 0644 "$SOURCE/deploy/quietcheck.service" "$ROOT/etc/systemd/system/quietcheck.service"
act systemctl daemon-reload
act systemctl enable quietcheck.service

# ---- Kiosk: Chromium full screen when the kiosk user's desktop starts
if [ "$KIOSK" -eq 1 ]; then
  HOME_DIR="/home/$KIOSK_USER"
  if [ "$DRY" -eq 0 ]; then HOME_DIR="$(getent passwd "$KIOSK_USER" | cut -d: -f6 || true)"; fi
  if [ -z "$HOME_DIR" ]; then
    say "no user $KIOSK_USER: the kiosk screen is not set up (use --kiosk-user NAME)"
  else
    install -d -m 0755 "$ROOT$HOME_DIR/.config/autostart"
    install -m 0644 "$SOURCE/deploy/quietcheck-kiosk.desktop" "$ROOT$HOME_DIR/.config/autostart/quietcheck-kiosk.desktop"
    act chown -R "$KIOSK_USER:" "$HOME_DIR/.config/autostart"
    # Nothing to install for typing on a touch-only screen: the kiosk page brings its own keyboard.
    say "kiosk: Chromium full screen for $KIOSK_USER, touch input on; the on-screen keyboard is part of the kiosk page"
  fi
fi

# ---- The admin password (first install only): set by a first run of the service, which creates the database
if [ "$DRY" -eq 1 ]; then
  say "would ask for the admin password and set it (quietcheck serve, once, as $SVC_USER)"
elif [ ! -f "$DATA/quietcheck.sqlite" ]; then
  if [ -t 0 ]; then
    while :; do
      read -r -s -p "Choose the quietcheck admin password: " PW1; echo
      read -r -s -p "Type it again: " PW2; echo
      [ "$PW1" = "$PW2" ] && [ -n "$PW1" ] && break
      echo "The two did not match (or were empty)."
    done
    LOG="$(mktemp)"
    QUIETCHECK_ADMIN_PASSWORD="$PW1" runuser -u "$SVC_USER" -- /usr/bin/node "$APP/dist/src/cli/main.js" serve --data-dir "$DATA" --host 127.0.0.1 --port 0 >"$LOG" 2>&1 &
    PID=$!
    unset PW1 PW2
    for _ in $(seq 1 60); do grep -q 'listening on' "$LOG" && break; kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    if ! grep -q 'admin password set' "$LOG"; then cat "$LOG" >&2; rm -f "$LOG"; echo "install.sh: the admin password was not set" >&2; exit 1; fi
    rm -f "$LOG"
  else
    say "no terminal to ask for the admin password: run this again in a terminal, then: sudo systemctl start quietcheck"
  fi
fi
act systemctl restart quietcheck.service

say "done. Check the machine with: sudo -u $SVC_USER quietcheck doctor --data-dir $DATA"
