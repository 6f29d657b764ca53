/*
 * libFuzzer target for src/roster/wire.c's decoder: the bytes a sandboxed
 * reader sends back, which a hostile file may have written by taking the
 * child over.  Any bytes either decode or are refused; what decodes must
 * encode again and decode to the same encoding (the decoder's checks and
 * the encoder agree), and the decoded strings must fit their fields.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/roster/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roster_opts o;
	struct wire_result r, again;
	struct buf b, b2;

	roster_opts_default(&o, 20250901);
	o.max_students = 10000;
	o.max_issues = 1000;
	if (wire_decode(data, size, &o, &r) != ERR_OK)
		return 0;
	for (size_t i = 0; i < r.file.nstudents; i++)
		if (strlen(r.file.students[i].achternaam) > STUDENT_LAST_MAX)
			abort();
	buf_init(&b, 64u << 20);
	buf_init(&b2, 64u << 20);
	if (wire_encode(&r, &b) != ERR_OK ||
	    wire_decode(b.data, b.len, &o, &again) != ERR_OK ||
	    wire_encode(&again, &b2) != ERR_OK || b.len != b2.len ||
	    memcmp(b.data, b2.data, b.len) != 0)
		abort();
	roster_file_release(&again.file);
	roster_file_release(&r.file);
	buf_release(&b);
	buf_release(&b2);
	return 0;
}
