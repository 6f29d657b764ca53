/*
 * Everything stored about one pupil, as the JSON document a library gives
 * a parent who asks for access under the AVG (GDPR, article 15): the
 * pupil's fields, its school, its enrolment, and every journal row that
 * names it with the import it belongs to.  Pure: values in, bytes out;
 * the keys are Dutch, like the rest of what a parent reads.
 */
#ifndef BIEBSYNC_IMPORT_PUPIL_H
#define BIEBSYNC_IMPORT_PUPIL_H

#include "../base/buf.h"
#include "../store/store.h"

/*
 * Append the document for pupil p of school s with its n journal rows c
 * (store_pupil_changes) to out; now is when it was made.  Returns out's
 * error (ERR_LIMIT when its cap is too small).
 */
enum err pupil_json(struct buf *out, const struct school *s,
                    const struct student *p, const struct pupil_change *c,
                    size_t n, int64_t now);

#endif
