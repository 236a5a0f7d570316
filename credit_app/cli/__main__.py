import sys

from credit_app.cli import main

sys.exit(main())
