"""Ship the project's ontology and stored queries inside the wheel, for ``kg init``.

They stay the project's own files at the top of the repository (dckg reads them from a
project folder); the build copies them under ``kg/skeleton/`` so that an installed dckg can
start a new project without a checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithSkeleton(build_py):
    def run(self) -> None:
        super().run()
        skeleton = Path(self.build_lib) / "kg" / "skeleton"
        for folder, pattern in (("ontology", "*.ttl"), ("queries", "*.rq")):
            target = skeleton / folder
            target.mkdir(parents=True, exist_ok=True)
            for path in sorted((HERE / folder).glob(pattern)):
                shutil.copyfile(path, target / path.name)


setup(cmdclass={"build_py": BuildWithSkeleton})
