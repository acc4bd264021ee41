import { Engine } from '../../../engine/engine.js';
import { CapacityMeter, readUnits } from '../../../engine/capacity.js';
const e = Engine.inMemory({ hotKeys: process.env.HK !== '0' });
e.execute('CreateTable', { TableName: 'Bench', AttributeDefinitions: [{AttributeName:'pk',AttributeType:'S'}], KeySchema:[{AttributeName:'pk',KeyType:'HASH'}], BillingMode:'PAY_PER_REQUEST'});
const table = e.ctx.catalog.get('Bench')!;
const u = e.ctx.usage;
const inputs = Array.from({length: 10000}, (_, i) => ({TableName:'Bench',Key:{pk:{S:'user#'+i}}}));
const out = {};
function run(n: number, hook: boolean) {
  const t0 = process.hrtime.bigint();
  for (let i=0;i<n;i++) {
    if (hook) u.begin('GetItem', inputs[i % 10000]);
    const m = new CapacityMeter(); m.read(table, readUnits(100, false));
    if (hook) u.succeeded(out);
  }
  return Number(process.hrtime.bigint()-t0)/n;
}
const a: number[] = [], b: number[] = [];
for (let r=0;r<200;r++){ a.push(run(2000,false)); b.push(run(2000,true)); }
const q = (x:number[]) => [...x].sort((p,q)=>p-q)[Math.floor(x.length*0.25)]!;
console.log(`meter only ${q(a).toFixed(0)} ns; with monitor ${q(b).toFixed(0)} ns; monitor cost ${(q(b)-q(a)).toFixed(0)} ns`);
