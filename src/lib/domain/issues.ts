// One line that says why a record from a peer could not be read, for the
// "unreadable record" rows: the first few schema problems with their paths.
import type * as v from 'valibot';

export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
	return issues
		.slice(0, 3)
		.map((issue) => {
			const path = issue.path?.map((item) => String(item.key)).join('.');
			return path ? `${path}: ${issue.message}` : issue.message;
		})
		.join('; ');
}
