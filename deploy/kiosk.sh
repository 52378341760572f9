#!/bin/sh
# Starts Chromium full screen on quietcheck's kiosk page once the service answers. Started by the
# graphical session of the kiosk user (~/.config/autostart/quietcheck-kiosk.desktop).
URL="${QUIETCHECK_KIOSK_URL:-http://127.0.0.1:8080/}"
HEALTH="${URL%/}/api/health"
for bin in chromium chromium-browser; do
  if command -v "$bin" >/dev/null 2>&1; then BROWSER="$bin"; break; fi
done
if [ -z "${BROWSER:-}" ]; then
  echo "quietcheck kiosk: Chromium is not installed (sudo apt install chromium)" >&2
  exit 1
fi
# Wait up to two minutes for the service (it finishes interrupted checks before it listens).
i=0
while [ "$i" -lt 120 ]; do
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 2 "$HEALTH" && break
  else
    break
  fi
  i=$((i + 1))
  sleep 1
done
# A throw-away profile: nothing about a check stays in the browser's history or cache.
PROFILE="$(mktemp -d "${XDG_RUNTIME_DIR:-/tmp}/quietcheck-kiosk.XXXXXX")"
trap 'rm -rf "$PROFILE"' EXIT INT TERM
# --proxy-server: Chromium calls Google in the background even in kiosk mode (sign-in account listing at
# accounts.google.com, component updates at update.googleapis.com and redirector.gvt1.com, network time
# at clients2.google.com, autofill and optimization hints at *.googleapis.com; measured by
# test/server/no-outbound.test.ts). A proxy on a closed local port makes every such call fail on this
# machine, with no name lookup and no packet leaving, while quietcheck's own page on 127.0.0.1 is
# loopback, which Chromium never sends through a proxy.
# --touch-events=enabled: a touch screen's taps reach the page as touches, which is what opens the kiosk's
# own on-screen keyboard (part of the page, in the check's language); without --enable-wayland-ime the
# desktop's keyboard (squeekboard) does not pop up over it as well.
"$BROWSER" --kiosk --incognito --user-data-dir="$PROFILE" \
  --noerrdialogs --disable-infobars --no-first-run --disable-session-crashed-bubble \
  --disable-features=Translate --password-store=basic --check-for-update-interval=31536000 \
  --proxy-server=127.0.0.1:9 --ozone-platform-hint=auto --touch-events=enabled "$URL"
