/* stub */
#include "readers.h"

enum err
xls_open(struct sheet_book *b, struct sheet_error *e)
{
	(void)b;
	return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID, "xls: not yet");
}
