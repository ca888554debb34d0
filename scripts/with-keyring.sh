#!/bin/sh
# Runs a command against a real Secret Service: a private D-Bus session with a throwaway, unlocked
# gnome-keyring, so tests never touch (or depend on) the developer's own keychain.
set -eu
if [ "${TOKENDESK_KEYRING_READY:-}" = "1" ]; then exec "$@"; fi
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "with-keyring: dbus-run-session and gnome-keyring-daemon are needed (apt-get install -y dbus-x11 gnome-keyring)" >&2
  exit 1
fi
data_home=$(mktemp -d)
trap 'rm -rf "$data_home"' EXIT
export XDG_DATA_HOME="$data_home" TOKENDESK_KEYRING_READY=1
dbus-run-session -- sh -c 'printf "pw\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' sh "$@"
