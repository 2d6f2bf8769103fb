package kube

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Client-side rate limits used when the rest.Config sets none: client-go's
// own default (5 queries per second) would throttle a controller.
const (
	DefaultQPS   = 200
	DefaultBurst = 400
)

// client is a typed REST client for the ProwJobs of one namespace.
type client struct {
	rest      rest.Interface
	params    runtime.ParameterCodec
	namespace string
}

// newClient builds a ProwJob client over cfg (copied, never changed).
func newClient(cfg *rest.Config, namespace string) (*client, error) {
	scheme := runtime.NewScheme()
	if err := prowapi.AddToScheme(scheme); err != nil {
		return nil, fmt.Errorf("register the ProwJob types: %w", err)
	}
	c := rest.CopyConfig(cfg)
	c.GroupVersion = &prowapi.SchemeGroupVersion
	c.APIPath = "/apis"
	c.ContentType = runtime.ContentTypeJSON
	c.AcceptContentTypes = runtime.ContentTypeJSON
	c.NegotiatedSerializer = serializer.NewCodecFactory(scheme).WithoutConversion()
	if c.UserAgent == "" {
		c.UserAgent = "prow-jobs"
	}
	if c.QPS == 0 {
		c.QPS, c.Burst = DefaultQPS, DefaultBurst
	}
	rc, err := rest.RESTClientFor(c)
	if err != nil {
		return nil, fmt.Errorf("make a ProwJob client for %s: %w", cfg.Host, err)
	}
	return &client{rest: rc, params: runtime.NewParameterCodec(scheme), namespace: namespace}, nil
}

func (c *client) create(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	out := &prowapi.ProwJob{}
	err := c.rest.Post().Namespace(c.namespace).Resource(prowapi.Resource).Body(pj).Do(ctx).Into(out)
	return out, err
}

func (c *client) get(ctx context.Context, name string) (*prowapi.ProwJob, error) {
	out := &prowapi.ProwJob{}
	err := c.rest.Get().Namespace(c.namespace).Resource(prowapi.Resource).Name(name).Do(ctx).Into(out)
	return out, err
}

func (c *client) update(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	out := &prowapi.ProwJob{}
	err := c.rest.Put().Namespace(c.namespace).Resource(prowapi.Resource).Name(pj.Name).Body(pj).Do(ctx).Into(out)
	return out, err
}

func (c *client) delete(ctx context.Context, name string) error {
	return c.rest.Delete().Namespace(c.namespace).Resource(prowapi.Resource).Name(name).Do(ctx).Error()
}

func (c *client) list(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
	out := &prowapi.ProwJobList{}
	err := c.rest.Get().Namespace(c.namespace).Resource(prowapi.Resource).VersionedParams(&opts, c.params).Do(ctx).Into(out)
	return out, err
}

func (c *client) watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
	opts.Watch = true
	return c.rest.Get().Namespace(c.namespace).Resource(prowapi.Resource).VersionedParams(&opts, c.params).Watch(ctx)
}
