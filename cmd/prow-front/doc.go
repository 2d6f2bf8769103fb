// Command prow-front is installed as bin/prow: the lean front of the bot.
// It runs `checkconfig`, `version`, `help` and shell completion itself,
// linking only the configuration packages, so that checking a large
// configuration starts fast and stays small; every component subcommand
// (hook, serve, deck, tide, the pod utilities, ...) it hands to the full
// binary installed beside it, prow-components (built from cmd/prow),
// replacing its own process image as git runs git-<cmd>. The full binary
// alone is a complete prow too: it has every subcommand, checkconfig
// included.
package main
