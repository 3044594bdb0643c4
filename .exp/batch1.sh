run() { tag=$1; shift; env TAG=$tag "$@" npx tsx .exp/cv.ts > /tmp/w/exp-$tag.log 2>&1; grep RESULT /tmp/w/exp-$tag.log >> /tmp/w/results.txt; grep "ep 40 \|ep 100 \|ep 80 " /tmp/w/exp-$tag.log | head -5 >> /tmp/w/results.txt; }
run lr3 TRAIN='{"learningRate":0.003}'
run lr10 TRAIN='{"learningRate":0.01}'
run augnone AUG=none
run augref AUG=reference
run bs8 TRAIN='{"batchSize":8}'
run blocks4 MODEL='{"convBlocks":4}'
run blocks5 MODEL='{"convBlocks":5}'
run ep100 TRAIN='{"epochs":100,"patience":0,"restoreBestWeights":false}'
