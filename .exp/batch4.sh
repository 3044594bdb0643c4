run() { tag=$1; shift; env TAG=$tag "$@" npx tsx .exp/cv.ts > /tmp/w/exp-$tag.log 2>&1; grep RESULT /tmp/w/exp-$tag.log >> /tmp/w/results.txt; }
run l5p0e60 MODEL='{"convBlocks":5}' SEEDS=1,2,3,4 TRAIN='{"epochs":60,"patience":0,"restoreBestWeights":false}'
run l5p0e40 MODEL='{"convBlocks":5}' SEEDS=1,2,3,4 TRAIN='{"patience":0,"restoreBestWeights":false}'
