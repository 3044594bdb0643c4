import { describe, expect, it } from 'vitest';
import { idKey, parseCsv } from './index.js';

describe('parseCsv', () => {
  it.each([
    ['id, hemorrhage\n000,1\n001,0\n', [['id', 'hemorrhage'], ['000', '1'], ['001', '0']]],
    ['\uFEFFid,label\r\n7,1\r\n', [['id', 'label'], ['7', '1']]],
    ['a,b\n\n  x ,  y  \n', [['a', 'b'], ['x', 'y']]],
    ['a,b\n"q,1","say ""hi"""\n', [['a', 'b'], ['q,1', 'say "hi"']]],
    ['a,b\nlast,row', [['a', 'b'], ['last', 'row']]],
  ])('parses %j', (text, rows) => {
    expect(parseCsv(text)).toEqual(rows);
  });
});

describe('idKey', () => {
  it.each([
    ['000', '0'],
    ['0', '0'],
    ['042', '42'],
    [' 42 ', '42'],
    ['scan-01', 'scan-01'],
  ])('%j -> %j', (id, key) => expect(idKey(id)).toBe(key));
});
