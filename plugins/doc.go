// Package plugins is the plugin framework: a plugin is a value that
// declares its name, help, slash commands and event handlers; the
// framework parses commands from comments (skipping quoted text and code
// blocks), runs the handlers of the plugins a repository enables with a
// timeout and panic recovery each, forwards deliveries to external plugins,
// formats replies, and serves the help that /plugin-help and the command
// help page show.
//
// Events reach plugins already normalized by hook: one GenericCommentEvent
// for issue comments, review bodies and review comments; plugins never see
// raw JSON.
package plugins
