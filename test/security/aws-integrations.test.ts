// What an AWS service endpoint answers cannot reach beyond its own response: the XML a query-protocol service
// answers is converted without expanding entities (no billion laughs), an element named `__proto__` or
// `constructor` pollutes nothing (the parser refuses such names and the body passes through unconverted), and
// values stay data. Mapped headers cannot replace the signature (header-rules.ts refuses Authorization for AWS
// integrations; the module drops the signing headers in any case).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { queryXmlToJson } from '../../src/execute/integrations/aws-service-protocols.ts';

describe('AWS integrations: hostile endpoint answers', () => {
  test('entities are not expanded', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">${levels}]><R><A>&l9;</A></R>`;
    const out = queryXmlToJson(Buffer.from(xml));
    assert.ok(out === undefined || out.length < 1000, `converted to ${out?.length} bytes`);
  });

  test('__proto__ and constructor elements pollute nothing', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const out = queryXmlToJson(Buffer.from(`<R><${name}><polluted>yes</polluted></${name}><B>1</B></R>`));
      if (out !== undefined) assert.equal(JSON.parse(out.toString()).R.B, '1');
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    }
  });

  test('map keys named __proto__ stay data', () => {
    const out = queryXmlToJson(Buffer.from('<R><M><entry><key>__proto__</key><value>x</value></entry></M></R>'));
    if (out !== undefined) {
      const m = JSON.parse(out.toString()).R.M;
      assert.equal(Object.getPrototypeOf(m), Object.prototype);
    }
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  test('what is not XML is left as it came', () => {
    assert.equal(queryXmlToJson(Buffer.from('{"a": 1}')), undefined);
    assert.equal(queryXmlToJson(Buffer.from('<R><unclosed>')), undefined);
  });
});
