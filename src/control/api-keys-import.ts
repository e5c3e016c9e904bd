// ImportApiKeys (format=csv): the API key file of the API Gateway developer guide ("API Gateway API key file
// format", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-file-format.html). A header row names
// the columns, case-insensitively and in any order: Name and Key are required; Description, Enabled (default true)
// and UsagePlanIds (a comma-separated list in double or single quotes) are optional; other columns are ignored. A key
// whose value already exists overwrites that key (keys are identical when their values are). Rows that cannot be
// imported become warnings; with failOnWarnings any warning fails the whole import (nothing is stored).
import { AwsError, BadRequestException } from '../aws/errors.ts';
import type { OperationContext } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import type { ApiKey, UsagePlan } from '../store/entities.ts';
import { MAX_DESCRIPTION_LENGTH, MAX_KEY_LENGTH, MAX_NAME_LENGTH, MIN_KEY_LENGTH } from './api-keys-lookup.ts';
import { newId } from './ids.ts';
import { addUsagePlanKey, usagePlanKeyOf } from './usage-plans-keys.ts';

/** RFC 4180 CSV, with single quotes as well as double: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quote = '';
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  while (i < src.length) {
    const c = src[i]!;
    if (quote) {
      if (c === quote) {
        if (src[i + 1] === quote) {
          field += quote;
          i += 2;
          continue;
        }
        quote = '';
      } else field += c;
      i++;
      continue;
    }
    if ((c === '"' || c === "'") && field === '') quote = c;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (quote) throw new BadRequestException('Invalid API key CSV: unterminated quoted field');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

const COLUMNS = ['name', 'key', 'description', 'enabled', 'usageplanids'] as const;
type Column = (typeof COLUMNS)[number];

function headerIndex(header: string[]): Partial<Record<Column, number>> {
  const idx: Partial<Record<Column, number>> = {};
  header.forEach((h, i) => {
    const name = h.trim().toLowerCase() as Column;
    // Unrecognized columns are permitted and ignored (AWS developer guide).
    if (!COLUMNS.includes(name)) return;
    if (idx[name] !== undefined) throw new BadRequestException(`Invalid API key CSV header: duplicate column '${h.trim()}'`);
    idx[name] = i;
  });
  for (const required of ['name', 'key'] as const) {
    if (idx[required] === undefined) {
      throw new BadRequestException(`Invalid API key CSV header: the ${required === 'name' ? 'Name' : 'Key'} column is required`);
    }
  }
  return idx;
}

export async function importApiKeys(tx: Tx, ctx: OperationContext, csv: string, failOnWarnings: boolean) {
  const rows = parseCsv(csv);
  if (rows.length === 0) throw new BadRequestException('Invalid API key CSV: the file is empty');
  const idx = headerIndex(rows[0]!);
  const ids: string[] = [];
  const warnings: string[] = [];
  const now = ctx.now().getTime();
  const byValue = new Map((await tx.list<ApiKey>('apikeys')).map((e) => [e.value.value, e.value]));

  for (let r = 1; r < rows.length; r++) {
    const line = r + 1;
    const row = rows[r]!;
    const col = (c: Column) => (idx[c] === undefined ? undefined : row[idx[c]!]?.trim());
    const name = col('name') ?? '';
    const value = col('key') ?? '';
    if (!name || name.length > MAX_NAME_LENGTH) {
      warnings.push(`Line ${line}: API key name must be between 1 and ${MAX_NAME_LENGTH} characters`);
      continue;
    }
    if (value.length < MIN_KEY_LENGTH || value.length > MAX_KEY_LENGTH) {
      warnings.push(`Line ${line}: API key value must be between ${MIN_KEY_LENGTH} and ${MAX_KEY_LENGTH} characters`);
      continue;
    }
    if ((col('description') ?? '').length > MAX_DESCRIPTION_LENGTH) {
      warnings.push(`Line ${line}: API key description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
      continue;
    }
    const enabledText = (col('enabled') ?? '').toLowerCase();
    if (enabledText !== '' && enabledText !== 'true' && enabledText !== 'false') {
      warnings.push(`Line ${line}: invalid Enabled value '${col('enabled')}', must be true or false`);
      continue;
    }
    // The same key value imported again overwrites the existing key.
    const existing = byValue.get(value);
    const key: ApiKey = existing
      ? { ...existing, lastUpdatedDate: now }
      : { id: newId(10), value, enabled: true, createdDate: now, lastUpdatedDate: now, stageKeys: [] };
    key.name = name;
    key.enabled = enabledText !== 'false';
    const description = col('description');
    if (description) key.description = description;
    else delete key.description;
    await tx.put('apikeys', key.id, key);
    byValue.set(value, key);
    if (!ids.includes(key.id)) ids.push(key.id);

    const planIds = (col('usageplanids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const planId of planIds) {
      const plan = await tx.get<UsagePlan>('usageplans', planId);
      if (!plan) {
        warnings.push(`Line ${line}: invalid usage plan identifier specified: ${planId}`);
        continue;
      }
      if (await tx.get('usageplankeys', `${planId}/${key.id}`)) {
        await tx.put('usageplankeys', `${planId}/${key.id}`, usagePlanKeyOf(key));
        continue;
      }
      try {
        await addUsagePlanKey(tx, plan, key);
      } catch (e) {
        if (!(e instanceof AwsError)) throw e;
        warnings.push(`Line ${line}: ${e.message}`);
      }
    }
  }

  if (failOnWarnings && warnings.length) {
    throw new BadRequestException(`API keys import failed with warnings: ${warnings.join('; ')}`);
  }
  const out: { ids: string[]; warnings?: string[] } = { ids };
  if (warnings.length) out.warnings = warnings;
  return out;
}
