/*
 * parttab.c: the partition table of a whole-disk image (a Raspberry Pi .img, a Yocto .wic, an SD card dump): MBR or
 * GPT, split into its partitions, which archive.c reads as members named "IMAGE!p1", "IMAGE!p2" (numbered as Linux
 * numbers them: an MBR's primary slots 1-4, a GPT's entries from 1). Only the tables are read here; what a
 * partition holds (ext4, SquashFS, FAT) is the member's business. libblkid could probe these, but it reads a device
 * or a file descriptor, not a buffer, and the two layouts are a few fixed offsets.
 *
 * Relied on, for the layouts (facts, little-endian throughout, 512-byte logical sectors as image files use):
 * - MBR: the UEFI Specification 2.10, section 5.2.1 "Legacy Master Boot Record (MBR)", Table 5-1 and 5-2: four
 *   16-byte partition records at byte 446 (BootIndicator 0x00 or 0x80, StartingCHS, OSType, EndingCHS,
 *   StartingLBA u32 at +8, SizeInLBA u32 at +12), signature 0x55 0xAA at byte 510; OSType 0xEE is a protective MBR
 *   (section 5.2.3), whose disk has a GPT.
 * - GPT: the same specification, section 5.3.2 "GPT Header", Table 5-5: "EFI PART" at LBA 1, PartitionEntryLBA u64
 *   at byte 72, NumberOfPartitionEntries u32 at 80, SizeOfPartitionEntry u32 at 84 (128 x 2^n); section 5.3.3
 *   "GPT Partition Entry Array", Table 5-6: PartitionTypeGUID at 0 (all zero: unused), StartingLBA u64 at 32,
 *   EndingLBA u64 at 40 (inclusive).
 * A FAT or NTFS boot sector also ends in 0x55 0xAA; it starts with an x86 jump (0xEB or 0xE9) and says its bytes per
 * sector at byte 11 (Microsoft's FAT specification, "Boot Sector and BPB"), which a disk's MBR does not.
 */
#include "internal.h"

#include <string.h>

#define SECTOR 512ull
#define MAX_GPT_ENTRIES 256u /* 128 is the usual array; more is noted as damage */

static unsigned long long le(const unsigned char *p, int n)
{
	unsigned long long v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* A FAT/exFAT/NTFS boot sector (a partition's first sector, or a superfloppy), not a disk's MBR. */
static int boot_sector(const unsigned char *b)
{
	unsigned bps = (unsigned)le(b + 11, 2);

	return (b[0] == 0xeb || b[0] == 0xe9) && bps >= 512 && bps <= 4096 && !(bps & (bps - 1));
}

/* Adds a partition [first, last] (sectors, last inclusive) that starts inside the image; a part past its end is cut
 * (truncated set). 0 added, 1 ignored (empty or outside), -1 no room. */
static int add(struct rs_part *out, size_t max, size_t *n, unsigned index, unsigned long long first,
	       unsigned long long last, size_t len)
{
	unsigned long long sectors = len / SECTOR;

	if (first == 0 || last < first || first >= sectors)
		return 1;
	if (*n == max)
		return -1;
	out[*n].index = index;
	out[*n].offset = (size_t)(first * SECTOR);
	out[*n].truncated = last >= sectors;
	out[*n].size = (size_t)(((out[*n].truncated ? sectors - 1 : last) - first + 1) * SECTOR);
	(*n)++;
	return 0;
}

static int gpt(const unsigned char *b, size_t len, struct rs_part *out, size_t max)
{
	const unsigned char *h = b + SECTOR;
	unsigned long long at = le(h + 72, 8), count = le(h + 80, 4), esize = le(h + 84, 4);
	size_t n = 0;

	if (esize < 128 || esize > 4096 || (esize & (esize - 1)) || count == 0 || count > MAX_GPT_ENTRIES ||
	    at < 2 || at > len / SECTOR || count * esize > len - at * SECTOR)
		return -1;
	for (unsigned i = 0; i < count; i++) {
		const unsigned char *e = b + at * SECTOR + i * esize;
		static const unsigned char zero[16];
		if (!memcmp(e, zero, 16))
			continue;
		if (add(out, max, &n, i + 1, le(e + 32, 8), le(e + 40, 8), len) < 0)
			return -1;
	}
	return (int)n;
}

int rs_parttab_parse(const unsigned char *b, size_t len, struct rs_part *out, size_t max)
{
	size_t n = 0;
	int protective = 0;

	if (len >= 2 * SECTOR && !memcmp(b + SECTOR, "EFI PART", 8))
		return gpt(b, len, out, max);
	if (len < 2 * SECTOR || b[510] != 0x55 || b[511] != 0xaa || boot_sector(b))
		return -1;
	for (unsigned i = 0; i < 4; i++) {
		const unsigned char *e = b + 446 + 16 * i;
		unsigned long long first = le(e + 8, 4), count = le(e + 12, 4);
		if (e[0] != 0x00 && e[0] != 0x80)
			return -1; /* boot code, not a table */
		if (e[4] == 0 || count == 0)
			continue; /* an empty slot */
		if (e[4] == 0xee)
			protective = 1;
		if (e[4] == 0x05 || e[4] == 0x0f || e[4] == 0x85 || e[4] == 0xee)
			continue; /* an extended partition's chain (not followed) or a protective MBR */
		if (first == 0)
			return -1;
		if (add(out, max, &n, i + 1, first, first + count - 1, len) < 0)
			return -1;
	}
	if (protective && !n)
		return -1; /* a GPT disk whose header is not at LBA 1 */
	return n ? (int)n : -1;
}

int rs_parttab_sniff(const unsigned char *b, size_t len)
{
	/* cheap: the GPT signature, or an MBR signature with sane records; rs_parttab_parse decides */
	if (len >= 2 * SECTOR && !memcmp(b + SECTOR, "EFI PART", 8))
		return 1;
	if (len < 2 * SECTOR || b[510] != 0x55 || b[511] != 0xaa || boot_sector(b))
		return 0;
	for (unsigned i = 0; i < 4; i++)
		if (b[446 + 16 * i] != 0x00 && b[446 + 16 * i] != 0x80)
			return 0;
	return 1;
}
