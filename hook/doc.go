// Package hook is the webhook endpoint. It checks each delivery as Prow's
// hook does (method, headers, content type, size, HMAC signature with
// per-org/repo tokens), writes it to a durable journal before answering,
// and hands it to a bounded pool of workers that decode it into
// normalized events for the plugins. Deliveries journaled but not handled
// when the process stopped are handled after the restart; a delivery ID
// seen before is handled once.
package hook
