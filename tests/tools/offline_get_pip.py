"""Stand-in for ansible-test's pip bootstrap script, which it would otherwise download.

ansible-test runs this with pip's arguments to set pip up in a new virtual environment.
Offline, the standard library's ensurepip does the bootstrap, and pip itself, from the
package index the machine is configured for, does the rest.
"""

import os
import subprocess
import sys

DROPPED = ("--no-setuptools", "--no-wheel")


def main() -> None:
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"], env=os.environ.copy())
    arguments = [argument for argument in sys.argv[1:] if argument not in DROPPED]
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade", *arguments], env=os.environ.copy())


if __name__ == "__main__":
    main()
