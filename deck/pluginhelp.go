package deck

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// pluginHelpTTL is how long fetched plugin help is reused.
const pluginHelpTTL = time.Minute

// HookPluginHelp fetches the plugin help from hook's /plugin-help at url,
// reusing an answer for a minute.
func HookPluginHelp(client *http.Client, url string) PluginHelpFunc {
	var mu sync.Mutex
	var cached []byte
	var fetched time.Time
	return func(ctx context.Context) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		if cached != nil && time.Since(fetched) < pluginHelpTTL {
			return cached, nil
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, fmt.Errorf("get plugin help from %s: %w", url, err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("get plugin help from %s: %w", url, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("get plugin help from %s: %s", url, resp.Status)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
		if err != nil {
			return nil, fmt.Errorf("read plugin help from %s: %w", url, err)
		}
		cached, fetched = data, time.Now()
		return data, nil
	}
}
