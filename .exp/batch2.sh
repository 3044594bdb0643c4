run() { tag=$1; shift; env TAG=$tag "$@" npx tsx .exp/cv.ts > /tmp/w/exp-$tag.log 2>&1; grep RESULT /tmp/w/exp-$tag.log >> /tmp/w/results.txt; }
run l5s23 MODEL='{"convBlocks":5}' SEEDS=2,3
run s5s123 ARCH=simple MODEL='{"convBlocks":5}' SEEDS=1,2,3
run l5s4 MODEL='{"convBlocks":5}' SEEDS=4
