package harness

import "github.com/prowbot/prow/test/seed"

// NewSeed is the org demo and its repository demo/hello with the bot (Bot,
// a member of demo with write access) and users whose token is their
// login; the builder adds the rest.
func NewSeed(users ...string) *seed.Builder {
	return seed.New(users...).Bot(Bot, BotToken)
}
