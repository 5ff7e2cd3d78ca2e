"""`python -m mockserver`: the `mockserver` console script, for where it is not on PATH."""

from mockserver.cli import main

raise SystemExit(main())
