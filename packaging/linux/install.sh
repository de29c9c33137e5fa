#!/bin/sh
# Puts DPO Desk on this user's desktop, from this folder, which stays where it is (move the folder first, then
# run this; run it again after moving it): the menu entry, the icon and the metainfo in ~/.local/share, and the
# dpo-desk command in ~/.local/bin.
#   ./install.sh              install
#   ./install.sh --uninstall  remove what install.sh put there (this folder, your stores and the log stay)
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin

case ${1:-} in
    "") uninstall=false ;;
    --uninstall) uninstall=true ;;
    *) echo "usage: ./install.sh [--uninstall]" >&2; exit 2 ;;
esac

# The Exec key's value as the Desktop Entry spec reads it: quoted, with " ` $ \ escaped (and that escape's
# backslash escaped again, as in every string value), and % doubled.
desktop_exec() {
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/[\\"`$]/\\\\&/g' -e 's/%/%%/g')"
}

# Desktops watch the applications folder themselves; an icon cache, where the user has one, would hide the new
# icon until it is brought up to date (none is made where there was none).
refresh() {
    if [ -f "$data/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
        gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
    fi
}

cd "$here/share"
if $uninstall; then
    find . -type f | while IFS= read -r file; do rm -f "$data/$file"; done
    [ "$(readlink "$bin/dpo-desk" 2>/dev/null)" = "$here/dpo-desk" ] && rm -f "$bin/dpo-desk"
    refresh
    echo "Removed DPO Desk's menu entry, icon and command; $here, your stores and the log are untouched."
    exit 0
fi

find . -type f | while IFS= read -r file; do
    mkdir -p "$data/$(dirname "$file")"
    case $file in
        *.desktop)
            while IFS= read -r line; do
                case $line in
                    Exec=*) printf 'Exec=%s\n' "$(desktop_exec "$here/dpo-desk")" ;;
                    *) printf '%s\n' "$line" ;;
                esac
            done <"$file" >"$data/$file"
            ;;
        *) cp "$file" "$data/$file" ;;
    esac
done
mkdir -p "$bin"
if [ -e "$bin/dpo-desk" ] && [ "$(readlink "$bin/dpo-desk" 2>/dev/null)" != "$here/dpo-desk" ]; then
    echo "Left $bin/dpo-desk as it is (not ours); the menu entry starts $here/dpo-desk." >&2
else
    ln -sf "$here/dpo-desk" "$bin/dpo-desk"
fi
refresh
echo "DPO Desk is in your applications menu; the command is $bin/dpo-desk."
