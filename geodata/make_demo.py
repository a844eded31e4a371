"""Write the synthetic demo district to geodata/demo_district.gpkg (fixed seed).

Run: ``python geodata/make_demo.py``. The district is invented; see planner/data/demo.py.
"""

from planner.data.demo import DEMO_PATH, write_demo

if __name__ == "__main__":
    print(write_demo(DEMO_PATH))
