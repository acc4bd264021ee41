import { Engine } from '../../../engine/engine.js';
import { operations } from '../../../engine/operations/index.js';
const e = Engine.inMemory({ hotKeys: process.env.HK !== '0' });
e.execute('CreateTable', { TableName: 'Bench', AttributeDefinitions: [{AttributeName:'pk',AttributeType:'S'}], KeySchema:[{AttributeName:'pk',KeyType:'HASH'}], BillingMode:'PAY_PER_REQUEST'});
const N = 10000;
for (let i=0;i<N;i++) e.execute('PutItem',{TableName:'Bench',Item:{pk:{S:'user#'+i},name:{S:'n'+i},age:{N:String(i%50)}}});
const get = operations.GetItem!; const put = operations.PutItem!;
let k = 0;
function batch(fn: (i:number)=>void, n: number) { const t0=process.hrtime.bigint(); for(let i=0;i<n;i++) fn(k++); return Number(process.hrtime.bigint()-t0)/n; }
const variants: Record<string, [(i:number)=>void, number]> = {
  getDirect: [(i)=>get(e.ctx,{TableName:'Bench',Key:{pk:{S:'user#'+(i%N)}}}), 500],
  getExecute: [(i)=>e.execute('GetItem',{TableName:'Bench',Key:{pk:{S:'user#'+(i%N)}}}), 500],
  putDirect: [(i)=>put(e.ctx,{TableName:'Bench',Item:{pk:{S:'user#'+(i%N)},v:{N:'1'}}}), 200],
  putExecute: [(i)=>e.execute('PutItem',{TableName:'Bench',Item:{pk:{S:'user#'+(i%N)},v:{N:'1'}}}), 200],
};
const res: Record<string, number[]> = {};
for (let round=0; round<300; round++) for (const [name,[fn,n]] of Object.entries(variants)) (res[name] ??= []).push(batch(fn,n));
const q = (x:number[], p: number) => [...x].sort((a,b)=>a-b)[Math.floor(x.length*p)]!;
for (const op of ['get','put']) {
  const d = res[op+'Direct']!, x = res[op+'Execute']!;
  console.log(`${op}: direct p25 ${q(d,0.25).toFixed(0)} / median ${q(d,0.5).toFixed(0)} ns; execute p25 ${q(x,0.25).toFixed(0)} / median ${q(x,0.5).toFixed(0)} ns; overhead (p25) ${(q(x,0.25)-q(d,0.25)).toFixed(0)} ns = ${((q(x,0.25)/q(d,0.25)-1)*100).toFixed(1)}%`);
}
