#!/usr/bin/env bash
# CI helper: make the interpreters installed by actions/setup-python visible where the project
# looks for them (/root/.pyenv/versions/<full version>/bin/python, as on the dev machine), for
# tests/peers.py and scripts/matrix.py. Usage: expose-pythons.sh 3.9 3.10 ...
set -euo pipefail
sudo mkdir -p /root/.pyenv/versions
sudo chmod o+rx /root /root/.pyenv /root/.pyenv/versions
for minor in "$@"; do
  exe=$(command -v "python$minor")
  full=$("$exe" -c 'import platform; print(platform.python_version())')
  sudo mkdir -p "/root/.pyenv/versions/$full/bin"
  sudo ln -sf "$exe" "/root/.pyenv/versions/$full/bin/python"
  echo "python $minor -> /root/.pyenv/versions/$full/bin/python ($exe)"
done
