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
"$BROWSER" --kiosk --incognito --user-data-dir="$PROFILE" \
  --noerrdialogs --disable-infobars --no-first-run --disable-session-crashed-bubble \
  --disable-features=Translate --password-store=basic --check-for-update-interval=31536000 \
  --ozone-platform-hint=auto "$URL"
