package hook

import "time"

// The webhook payload shapes hook reads: only the fields the normalized
// events carry, so decoding skips the rest of GitHub's large objects.

type ghUser struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Username string `json:"username"` // commit authors in push payloads
}

type ghLabel struct {
	Name string `json:"name"`
}

type ghRepo struct {
	Name          string `json:"name"`
	FullName      string `json:"full_name"`
	Owner         ghUser `json:"owner"`
	HTMLURL       string `json:"html_url"`
	DefaultBranch string `json:"default_branch"`
	Private       bool   `json:"private"`
}

type ghIssue struct {
	Number            int       `json:"number"`
	Title             string    `json:"title"`
	Body              string    `json:"body"`
	HTMLURL           string    `json:"html_url"`
	State             string    `json:"state"`
	User              ghUser    `json:"user"`
	AuthorAssociation string    `json:"author_association"`
	Assignees         []ghUser  `json:"assignees"`
	Labels            []ghLabel `json:"labels"`
	Locked            bool      `json:"locked"`
	CreatedAt         time.Time `json:"created_at"`
	PullRequest       *struct{} `json:"pull_request"`
}

type ghBranch struct {
	Ref  string `json:"ref"`
	SHA  string `json:"sha"`
	Repo ghRepo `json:"repo"`
}

type ghPull struct {
	Number             int       `json:"number"`
	Title              string    `json:"title"`
	Body               string    `json:"body"`
	HTMLURL            string    `json:"html_url"`
	State              string    `json:"state"`
	Draft              bool      `json:"draft"`
	Merged             bool      `json:"merged"`
	Mergeable          *bool     `json:"mergeable"`
	User               ghUser    `json:"user"`
	AuthorAssociation  string    `json:"author_association"`
	Assignees          []ghUser  `json:"assignees"`
	RequestedReviewers []ghUser  `json:"requested_reviewers"`
	Labels             []ghLabel `json:"labels"`
	Base               ghBranch  `json:"base"`
	Head               ghBranch  `json:"head"`
	Additions          int       `json:"additions"`
	Deletions          int       `json:"deletions"`
	ChangedFiles       int       `json:"changed_files"`
	CreatedAt          time.Time `json:"created_at"`
}

type ghComment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
	User    ghUser `json:"user"`
	Path    string `json:"path"`
}

type ghReview struct {
	ID          int64     `json:"id"`
	Body        string    `json:"body"`
	State       string    `json:"state"`
	HTMLURL     string    `json:"html_url"`
	User        ghUser    `json:"user"`
	SubmittedAt time.Time `json:"submitted_at"`
}

type ghChanges struct {
	Title *struct{} `json:"title"`
	Body  *struct{} `json:"body"`
	Base  *struct{} `json:"base"`
}

type ghCommit struct {
	ID       string   `json:"id"`
	Message  string   `json:"message"`
	Author   ghUser   `json:"author"`
	Added    []string `json:"added"`
	Removed  []string `json:"removed"`
	Modified []string `json:"modified"`
}

// ghApp is the GitHub App of a check run or suite.
type ghApp struct {
	Slug string `json:"slug"`
}

// ghPullRef is a pull request as check runs and suites list them.
type ghPullRef struct {
	Number int `json:"number"`
}

type ghCheckRun struct {
	ID           int64       `json:"id"`
	Name         string      `json:"name"`
	HeadSHA      string      `json:"head_sha"`
	Status       string      `json:"status"`
	Conclusion   string      `json:"conclusion"`
	ExternalID   string      `json:"external_id"`
	DetailsURL   string      `json:"details_url"`
	App          ghApp       `json:"app"`
	PullRequests []ghPullRef `json:"pull_requests"`
}

type ghCheckSuite struct {
	ID           int64       `json:"id"`
	HeadSHA      string      `json:"head_sha"`
	HeadBranch   string      `json:"head_branch"`
	Status       string      `json:"status"`
	Conclusion   string      `json:"conclusion"`
	App          ghApp       `json:"app"`
	PullRequests []ghPullRef `json:"pull_requests"`
}

// ghEvent holds every field of the handled event types; each type fills
// its own.
type ghEvent struct {
	Action            string     `json:"action"`
	Repo              ghRepo     `json:"repository"`
	Sender            ghUser     `json:"sender"`
	Issue             ghIssue    `json:"issue"`
	Comment           ghComment  `json:"comment"`
	PullRequest       ghPull     `json:"pull_request"`
	Review            ghReview   `json:"review"`
	Label             ghLabel    `json:"label"`
	Assignee          ghUser     `json:"assignee"`
	RequestedReviewer ghUser     `json:"requested_reviewer"`
	Changes           *ghChanges `json:"changes"`
	Before            string     `json:"before"`
	After             string     `json:"after"`
	// push
	Ref     string     `json:"ref"`
	Created bool       `json:"created"`
	Deleted bool       `json:"deleted"`
	Forced  bool       `json:"forced"`
	Compare string     `json:"compare"`
	Pusher  ghUser     `json:"pusher"`
	Commits []ghCommit `json:"commits"`
	// status
	SHA         string `json:"sha"`
	State       string `json:"state"`
	Context     string `json:"context"`
	Description string `json:"description"`
	TargetURL   string `json:"target_url"`
	// check_run and check_suite
	CheckRun   ghCheckRun   `json:"check_run"`
	CheckSuite ghCheckSuite `json:"check_suite"`
}
