package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GroupName is the API group of ProwJobs.
const GroupName = "prow.k8s.io"

// SchemeGroupVersion is the group and version of this package's types.
var SchemeGroupVersion = schema.GroupVersion{Group: GroupName, Version: "v1"}

// Kind and Resource name ProwJobs in the API.
const (
	Kind     = "ProwJob"
	Resource = "prowjobs"
)

// AddToScheme registers the ProwJob types with a scheme.
func AddToScheme(scheme *runtime.Scheme) error {
	scheme.AddKnownTypes(SchemeGroupVersion, &ProwJob{}, &ProwJobList{})
	metav1.AddToGroupVersion(scheme, SchemeGroupVersion)
	return nil
}
