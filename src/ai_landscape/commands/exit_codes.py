"""The CLI's exit codes, one meaning each across every command."""

EXIT_OK = 0
# A run or a check failed (nothing published; a value not understood; a snapshot that fails).
EXIT_FAILED = 1
# The command was asked for something that does not exist, or its options conflict.
EXIT_USAGE = 2
