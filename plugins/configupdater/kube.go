package configupdater

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"sync"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

// KubeMaps is the cluster mode's Maps: ConfigMaps through the Kubernetes
// API of each cluster alias.
type KubeMaps struct {
	// Connect returns a client per cluster alias ("default" among them).
	// It is called on the first update, not before: a hook that never
	// updates a ConfigMap never needs a cluster.
	Connect func() (map[string]kubernetes.Interface, error)

	once    sync.Once
	clients map[string]kubernetes.Interface
	err     error
}

// NewKubeMaps is KubeMaps over clients already made.
func NewKubeMaps(clients map[string]kubernetes.Interface) *KubeMaps {
	return &KubeMaps{Connect: func() (map[string]kubernetes.Interface, error) { return clients, nil }}
}

// Apply updates (or creates) the ConfigMap, retrying on conflicts.
func (k *KubeMaps) Apply(ctx context.Context, id MapID, namespace string, c Change) error {
	k.once.Do(func() { k.clients, k.err = k.Connect() })
	if k.err != nil {
		return fmt.Errorf("update configmap %s/%s: %w", namespace, id.Name, k.err)
	}
	client, ok := k.clients[id.Cluster]
	if !ok {
		return fmt.Errorf("update configmap %s/%s: no cluster %q is configured", namespace, id.Name, id.Cluster)
	}
	cms := client.CoreV1().ConfigMaps(namespace)
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cm, err := cms.Get(ctx, id.Name, metav1.GetOptions{})
		missing := apierrors.IsNotFound(err)
		if err != nil && !missing {
			return err
		}
		if missing {
			cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: id.Name, Namespace: namespace}}
		}
		if err := change(cm, c); err != nil {
			return err
		}
		if missing {
			_, err = cms.Create(ctx, cm, metav1.CreateOptions{})
		} else {
			_, err = cms.Update(ctx, cm, metav1.UpdateOptions{})
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("update configmap %s/%s in cluster %s: %w", namespace, id.Name, id.Cluster, err)
	}
	return nil
}

// change applies c to cm: gzipped or non-UTF-8 content goes to
// binaryData, the rest to data, and a key lives in one of the two.
func change(cm *corev1.ConfigMap, c Change) error {
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
	if cm.BinaryData == nil {
		cm.BinaryData = map[string][]byte{}
	}
	for key, v := range c.Set {
		content := v.Content
		if v.GZIP {
			var b bytes.Buffer
			w := gzip.NewWriter(&b)
			if _, err := w.Write(content); err != nil {
				return err
			}
			if err := w.Close(); err != nil {
				return err
			}
			content = b.Bytes()
		}
		if !v.GZIP && utf8.Valid(content) {
			cm.Data[key] = string(content)
			delete(cm.BinaryData, key)
		} else {
			cm.BinaryData[key] = content
			delete(cm.Data, key)
		}
	}
	for _, key := range c.Delete {
		delete(cm.Data, key)
		delete(cm.BinaryData, key)
	}
	return nil
}
