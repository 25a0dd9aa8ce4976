from rehab_app.app import main

raise SystemExit(main())
