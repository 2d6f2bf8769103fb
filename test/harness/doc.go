// Package harness runs the bot end to end for tests: the sandbox GitHub,
// hook with the durable journal and the plugin framework, and the real
// GitHub client acting as the bot, all in-process on 127.0.0.1. A test
// acts as any seeded user through the sandbox's REST API and waits until
// every webhook the action caused, and every action the bot took in
// return, has settled.
package harness
