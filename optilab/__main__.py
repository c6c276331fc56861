from optilab.cli import main

raise SystemExit(main())
