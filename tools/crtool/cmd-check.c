// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

int cmd_check(int argc, char **argv)
{
	return cli_not_built("check");
}
