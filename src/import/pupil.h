/*
 * Everything stored about one pupil, as the JSON document a library gives
 * a parent who asks for access under the AVG (GDPR, article 15): the
 * pupil's fields, its school, its enrolment, every journal row that names
 * it with the import it belongs to, and the upload reports' lines that
 * name it.  Pure: values in, bytes out;
 * the keys are Dutch, like the rest of what a parent reads.
 */
#ifndef BIEBSYNC_IMPORT_PUPIL_H
#define BIEBSYNC_IMPORT_PUPIL_H

#include "../base/buf.h"
#include "../store/store.h"

/* What is stored about one pupil, as the store gives it. */
struct pupil_record {
	const struct school *school;
	const struct student *pupil;
	const struct pupil_change *changes; /* store_pupil_changes */
	size_t nchanges;
	const struct pupil_issue *issues; /* store_pupil_issues */
	size_t nissues;
};

/*
 * Append the document for r to out; now is when it was made.  Returns
 * out's error (ERR_LIMIT when its cap is too small).
 */
enum err pupil_json(struct buf *out, const struct pupil_record *r, int64_t now);

#endif
