import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../engine/engine.js';
const dir = mkdtempSync(join(tmpdir(), 'skb-'));
const e = new Engine({ path: join(dir, 'x.sqlite') });
e.execute('CreateTable', { TableName: 'Bench', AttributeDefinitions: [{AttributeName:'pk',AttributeType:'S'},{AttributeName:'sk',AttributeType:'N'}], KeySchema:[{AttributeName:'pk',KeyType:'HASH'},{AttributeName:'sk',KeyType:'RANGE'}], BillingMode:'PAY_PER_REQUEST'});
const N = 10000;
const item = (i: number) => ({pk:{S:'user#'+(i%N)},sk:{N:'1'},name:{S:'name '+i},email:{S:`user${i}@example.com`},age:{N:String(20+i%50)},tags:{SS:['a','b']}});
for (let i=0;i<N;i++) e.execute('PutItem',{TableName:'Bench',Item:item(i)});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const unmetered = (op: string, input: unknown) => { e.ctx.refreshIfChanged(); return (e as any).dispatch(op, input); };
let k = 0;
function batch(fn: (i:number)=>void, n: number) { const t0=process.hrtime.bigint(); for(let i=0;i<n;i++) fn(k++); return Number(process.hrtime.bigint()-t0)/n; }
const cases: [string, (i:number)=>void, (i:number)=>void, number][] = [
  ['GetItem', (i)=>unmetered('GetItem',{TableName:'Bench',Key:{pk:{S:`user#${i%N}`},sk:{N:'1'}}}), (i)=>e.execute('GetItem',{TableName:'Bench',Key:{pk:{S:`user#${i%N}`},sk:{N:'1'}}}), 200],
  ['PutItem', (i)=>unmetered('PutItem',{TableName:'Bench',Item:item(i)}), (i)=>e.execute('PutItem',{TableName:'Bench',Item:item(i)}), 100],
  ['Query 1000', ()=>unmetered('Query',{TableName:'Bench',KeyConditionExpression:'pk = :p',ExpressionAttributeValues:{':p':{S:'user#1'}}}), ()=>e.execute('Query',{TableName:'Bench',KeyConditionExpression:'pk = :p',ExpressionAttributeValues:{':p':{S:'user#1'}}}), 200],
];
for (const [name, a, b, n] of cases) {
  const ra: number[] = [], rb: number[] = [];
  for (let r=0;r<400;r++){ ra.push(batch(a,n)); rb.push(batch(b,n)); }
  const q = (x:number[], p:number) => [...x].sort((u,v)=>u-v)[Math.floor(x.length*p)]!;
  console.log(`${name}: without monitor min ${q(ra,0).toFixed(0)} / p10 ${q(ra,0.1).toFixed(0)} ns; with monitor min ${q(rb,0).toFixed(0)} / p10 ${q(rb,0.1).toFixed(0)} ns; added (p10) ${(q(rb,0.1)-q(ra,0.1)).toFixed(0)} ns (${((q(rb,0.1)/q(ra,0.1)-1)*100).toFixed(1)}%)`);
}
e.close(); rmSync(dir, { recursive: true, force: true });
