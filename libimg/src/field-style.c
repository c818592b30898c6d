// SPDX-License-Identifier: LGPL-2.1-or-later
#include <string.h>

#include "field-format.h"
#include "field-style.h"

void field_style(const ProtobufCMessageDescriptor *m, const ProtobufCFieldDescriptor *f,
		 struct field_style *st)
{
	const struct field_format *ff = field_format_find(m->name, f->name);

	memset(st, 0, sizeof(*st));
	if (!ff)
		return;
	st->look = ff->look;
	st->names = ff->names;
	st->nr_names = ff->nr_names;
}
