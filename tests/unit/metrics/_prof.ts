import { Engine } from '../../../engine/engine.js';
const e = Engine.inMemory({ hotKeys: false });
e.execute('CreateTable', { TableName: 'Bench', AttributeDefinitions: [{AttributeName:'pk',AttributeType:'S'}], KeySchema:[{AttributeName:'pk',KeyType:'HASH'}], BillingMode:'PAY_PER_REQUEST'});
const N = 1000;
for (let i=0;i<N;i++) e.execute('PutItem',{TableName:'Bench',Item:{pk:{S:'user#'+i},name:{S:'n'+i},age:{N:String(i%50)}}});
for (let i=0;i<1000000;i++) e.execute('GetItem',{TableName:'Bench',Key:{pk:{S:'user#'+(i%N)}}});
