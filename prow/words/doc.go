// Package words holds the small helpers that put numbers into English
// for people to read: the messages tide writes on pull requests and the
// descriptions deck shows.
package words
