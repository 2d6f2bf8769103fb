package tide

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/util/retry"
)

// HistoryBlobs is a database keeping tide's records, encoded, by pool:
// the job store's SQLite database (jobs/sqlite.Store) is one.
type HistoryBlobs interface {
	// AppendTideHistory keeps record for pool, dropping the pool's
	// oldest beyond keep.
	AppendTideHistory(ctx context.Context, pool string, record []byte, keep int) error
	// TideHistory returns every pool's records, oldest first.
	TideHistory(ctx context.Context) (map[string][][]byte, error)
}

// BlobHistory keeps the history as JSON records in b, maxHistory per
// pool.
func BlobHistory(b HistoryBlobs) HistoryStore { return blobHistory{b} }

type blobHistory struct{ b HistoryBlobs }

func (h blobHistory) Append(ctx context.Context, pool string, r Record) error {
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode a history record of %s: %w", pool, err)
	}
	return h.b.AppendTideHistory(ctx, pool, data, maxHistory)
}

func (h blobHistory) Load(ctx context.Context) (map[string][]Record, error) {
	blobs, err := h.b.TideHistory(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Record, len(blobs))
	for pool, list := range blobs {
		for _, data := range list {
			var r Record
			if err := json.Unmarshal(data, &r); err != nil {
				return nil, fmt.Errorf("decode a history record of %s: %w", pool, err)
			}
			out[pool] = append(out[pool], r)
		}
	}
	return out, nil
}

// ConfigMaps is the part of a namespace's ConfigMap client the cluster
// history uses (client-go's ConfigMapInterface is one).
type ConfigMaps interface {
	Get(ctx context.Context, name string, opts metav1.GetOptions) (*corev1.ConfigMap, error)
	Create(ctx context.Context, cm *corev1.ConfigMap, opts metav1.CreateOptions) (*corev1.ConfigMap, error)
	Update(ctx context.Context, cm *corev1.ConfigMap, opts metav1.UpdateOptions) (*corev1.ConfigMap, error)
}

// The cluster history's defaults.
const (
	// DefaultHistoryConfigMap names the ConfigMap of the history.
	DefaultHistoryConfigMap = "tide-history"
	// historyKey is the ConfigMap key holding the history as JSON.
	historyKey = "history.json"
	// defaultHistoryBytes keeps the ConfigMap well under Kubernetes'
	// 1 MiB limit on an object.
	defaultHistoryBytes = 768 << 10
)

// ConfigMapHistory keeps the history in one ConfigMap of tide's namespace:
// every pool's records as JSON under one key, at most maxHistory per pool
// and, dropping the oldest records of all pools first, at most MaxBytes.
// A ConfigMap needs no custom resource and no storage beyond the API
// server's, and tide's single leader writes it with optimistic
// concurrency, so a write never loses another's.
type ConfigMapHistory struct {
	ConfigMaps ConfigMaps
	// Name is the ConfigMap's name (DefaultHistoryConfigMap when empty).
	Name string
	// MaxBytes bounds the encoded history (768 KiB when 0).
	MaxBytes int

	// mu serializes appends: the pools act concurrently, and one writer
	// at a time never conflicts with itself.
	mu sync.Mutex
	// last is the ConfigMap as last written, so an append needs no read;
	// nil after a failed write.
	last *corev1.ConfigMap
}

func (h *ConfigMapHistory) name() string {
	if h.Name == "" {
		return DefaultHistoryConfigMap
	}
	return h.Name
}

// Load implements HistoryStore.
func (h *ConfigMapHistory) Load(ctx context.Context) (map[string][]Record, error) {
	cm, err := h.ConfigMaps.Get(ctx, h.name(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return map[string][]Record{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read ConfigMap %s: %w", h.name(), err)
	}
	return decodeHistory(cm)
}

// Append implements HistoryStore.
func (h *ConfigMapHistory) Append(ctx context.Context, pool string, r Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	// An append that met another writer (a former leader) tries again.
	backoff := wait.Backoff{Steps: 8, Duration: 10 * time.Millisecond, Factor: 1.5, Jitter: 0.1}
	err := retry.RetryOnConflict(backoff, func() error {
		err := h.append(ctx, pool, r)
		if err != nil {
			h.last = nil // read it again on the next try
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("store a history record of %s in ConfigMap %s: %w", pool, h.name(), err)
	}
	return nil
}

// append writes the history with r added, from the ConfigMap as last
// written or as read now; h.mu is held.
func (h *ConfigMapHistory) append(ctx context.Context, pool string, r Record) error {
	cm := h.last
	if cm == nil {
		got, err := h.ConfigMaps.Get(ctx, h.name(), metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			got = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: h.name(), Labels: map[string]string{"app.kubernetes.io/component": "tide"}}}
		case err != nil:
			return err
		}
		cm = got
	}
	all, err := decodeHistory(cm)
	if err != nil {
		return err
	}
	all[pool] = append(all[pool], r)
	if n := len(all[pool]); n > maxHistory {
		all[pool] = all[pool][n-maxHistory:]
	}
	data, err := json.Marshal(capHistory(all, h.maxBytes()))
	if err != nil {
		return err
	}
	cm = cm.DeepCopy()
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
	cm.Data[historyKey] = string(data)
	var written *corev1.ConfigMap
	if cm.ResourceVersion == "" {
		written, err = h.ConfigMaps.Create(ctx, cm, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			return apierrors.NewConflict(corev1.Resource("configmaps"), h.name(), err)
		}
	} else {
		written, err = h.ConfigMaps.Update(ctx, cm, metav1.UpdateOptions{})
		if apierrors.IsNotFound(err) { // deleted since: create it anew
			return apierrors.NewConflict(corev1.Resource("configmaps"), h.name(), err)
		}
	}
	if err != nil {
		return err
	}
	h.last = written
	return nil
}

func (h *ConfigMapHistory) maxBytes() int {
	if h.MaxBytes <= 0 {
		return defaultHistoryBytes
	}
	return h.MaxBytes
}

func decodeHistory(cm *corev1.ConfigMap) (map[string][]Record, error) {
	out := map[string][]Record{}
	data, ok := cm.Data[historyKey]
	if !ok || data == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(data), &out); err != nil {
		return nil, fmt.Errorf("decode ConfigMap %s key %s: %w", cm.Name, historyKey, err)
	}
	return out, nil
}

// capHistory drops the oldest records of all pools until the encoded
// history fits in limit bytes (each record's size estimated from its
// own encoding, with room for the pool keys).
func capHistory(all map[string][]Record, limit int) map[string][]Record {
	type ref struct {
		pool string
		at   int
		size int
	}
	var refs []ref
	total := 2
	for pool, list := range all {
		total += len(pool) + 6
		for i, r := range list {
			data, _ := json.Marshal(r) // a Record always encodes
			refs = append(refs, ref{pool: pool, at: i, size: len(data) + 1})
			total += len(data) + 1
		}
	}
	if total <= limit {
		return all
	}
	sort.SliceStable(refs, func(i, j int) bool {
		return all[refs[i].pool][refs[i].at].Time.Before(all[refs[j].pool][refs[j].at].Time)
	})
	drop := map[string]int{} // the pool's oldest records to drop
	for _, rf := range refs {
		if total <= limit {
			break
		}
		if rf.at == drop[rf.pool] { // oldest first within a pool
			drop[rf.pool]++
			total -= rf.size
		}
	}
	out := make(map[string][]Record, len(all))
	for pool, list := range all {
		if rest := list[drop[pool]:]; len(rest) > 0 {
			out[pool] = rest
		}
	}
	return out
}
