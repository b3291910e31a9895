# Plan policy: deny the run for each cname-preflight finding that counts
# (at or above its failure threshold, not suppressed), warn for the rest;
# deny when the report is missing, so a run the hook did not check never
# passes.
package spacelift

import rego.v1

report := input.third_party_metadata.custom.cname_preflight

severities := {"note": 0, "warning": 1, "error": 2}

counts(f) if {
	f.suppressed == null
	severities[f.severity] >= severities[report.summary.minimum_failure_severity]
}

deny contains sprintf("cname-preflight: %s: %s", [f.code, f.message]) if {
	some f in report.findings
	counts(f)
}

warn contains sprintf("cname-preflight: %s: %s", [f.code, f.message]) if {
	some f in report.findings
	f.suppressed == null
	not counts(f)
}

deny contains "cname-preflight did not report on this plan: is its after_plan hook attached?" if {
	not input.third_party_metadata.custom.cname_preflight
}

deny contains "cname-preflight could not check this plan: see the after_plan hook's output" if {
	report.summary.exit_code == 1
}
