import sys

from generator.cli import collect_garbage_rarely, main

collect_garbage_rarely()
sys.exit(main())
