package policy

// Workflow is how the front door's workflow mends itself (trays.Sweep's reconciliation).
type Workflow struct {
	// RestartLimit caps how many times the SLA sweep starts again the workflow of a contact that waits on a
	// person with no open wait on record (a stuck contact). A contact the restarts have not mended is given to
	// a person instead — the dead-letter tray, which the sweep escalates to the service manager at once, and
	// the WorkflowRestartLimitReached alarm — never restarted in a loop. The seeds say nothing about it.
	RestartLimit RestartLimit `json:"restartLimit" yaml:"restartLimit"`
}

// RestartLimit is the most restarts of one contact's workflow, with its citation.
type RestartLimit struct {
	Max    int `json:"max" yaml:"max"`
	Source `yaml:",inline"`
}

func (p *Policy) validateWorkflow(v validator) {
	if p.Workflow.RestartLimit.Max < 1 {
		v.add("workflow.restartLimit.max", "must be at least 1 (a stuck contact's workflow is started again at most this many times)")
	}
	v.source("workflow.restartLimit", p.Workflow.RestartLimit.Source)
}
