/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef unsigned long pgoff_t;
typedef uint64_t sector_t;
typedef unsigned int gfp_t;

struct list_head {
	struct list_head *next, *prev;
};

#define GFP_KERNEL 0x1u
#define GFP_NOFS 0x2u

#endif /* _LINUX_TYPES_H */
